"""playbook: a customer-care playbook kept as YAML + Markdown, built into a training site."""

__version__ = "0.1.0"
