// placeholder: tests come with the unit
