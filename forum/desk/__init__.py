"""The participant desk: organizers find, correct, move and act on participants."""
