"""inventory: items, suppliers and stock movements kept in inventory.json in the cwd."""
