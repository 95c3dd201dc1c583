"""The kit's repository layer: the only code that knows paths and file formats."""
