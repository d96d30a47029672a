"""csvql: run small SQL SELECT queries against CSV files."""
