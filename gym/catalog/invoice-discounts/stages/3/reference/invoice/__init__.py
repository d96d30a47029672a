"""invoice: render invoices from order files."""
