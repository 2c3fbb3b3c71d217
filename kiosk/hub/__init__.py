"""The kecamatan side: the hub database, the report endpoint, the console and the editor."""
