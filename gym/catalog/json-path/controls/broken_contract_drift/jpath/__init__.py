"""jpath: query JSON documents with JSONPath expressions."""
