"""expenses: record expenses and report totals per category (data in expenses.json in the cwd)."""
