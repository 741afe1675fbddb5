"""What a report shows: tables, prose and figures read from results, never re-decided."""
