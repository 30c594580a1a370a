"""osaid: the git-native home of the Open Source AI Definition."""

__version__ = "0.1.0"
