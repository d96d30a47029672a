"""grades: course grade reports from a CSV of scores."""
