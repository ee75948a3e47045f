"""村务公开: public notices, their posting periods and objections (a notice's life: rules.py)."""
