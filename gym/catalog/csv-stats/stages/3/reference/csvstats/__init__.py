"""csvstats: summary statistics of the numeric columns of a CSV file."""
