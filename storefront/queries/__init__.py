"""Read-only lookups for pages, lists and exports."""
