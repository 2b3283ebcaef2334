"""The merchant console (/admin) and the platform operator's console (/platform)."""
