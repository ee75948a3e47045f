"""villagegov (村务记录): the records of a village's self-governance."""

__version__ = "0.1.0"
APP_NAME = "villagegov"
