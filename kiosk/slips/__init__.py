"""Paper checklists: pure slip layout (catalog entry → lines + QR) and its ESC/POS rendering."""
