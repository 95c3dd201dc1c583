"""What the GitHub workflows run: texts for people (pure) and the few GitHub and git calls that deliver them."""
