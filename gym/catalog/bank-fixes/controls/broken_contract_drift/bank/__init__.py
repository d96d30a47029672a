"""bank: accounts with deposits, withdrawals and transfers, kept in bank.json in the cwd."""
