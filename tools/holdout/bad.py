BAD = {}
