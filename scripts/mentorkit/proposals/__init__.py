"""Match proposals after they are written: differences between two, and approval."""
