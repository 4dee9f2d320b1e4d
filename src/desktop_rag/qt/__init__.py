"""The desktop window. Only this package imports Qt; everything it shows comes from the core."""
