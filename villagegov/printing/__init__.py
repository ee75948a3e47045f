"""Printing: Chinese fonts, the official page template (GB/T 9704) and shared pieces."""
