"""The printer side: backends from config, the spool folder, the print worker, the daemon."""
