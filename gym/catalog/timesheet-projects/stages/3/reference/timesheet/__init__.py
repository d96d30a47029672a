"""timesheet: log hours worked and report them (data in timesheet.json in the cwd)."""
