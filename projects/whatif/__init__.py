"""What-if replay from a project page: other facts, another pack version or date; nothing stored."""
