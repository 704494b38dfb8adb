"""Where episodes come from: one module per kind of lawful source. No Qt here."""
