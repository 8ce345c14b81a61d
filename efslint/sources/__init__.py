"""Front-ends: each turns one kind of input into a :class:`efslint.model.Model`."""
