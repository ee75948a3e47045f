"""档案: the yearly package for township review, its verification, and the township's import."""
