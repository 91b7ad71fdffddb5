"""Input and output schemas of API v1. Outputs name records by public code or slug, never by numeric id."""
