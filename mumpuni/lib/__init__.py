"""Pure helpers with no Django import: identity numbers, tabular files, statistics."""
