"""Text helpers shared by collectors: HTML to text, times stated in prose, zone abbreviations."""
