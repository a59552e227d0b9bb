"""The license corpus: built-in texts from ScanCode's LicenseDB, user-added texts, their metadata."""
