"""Empty: a twin only calls F inside forward."""
