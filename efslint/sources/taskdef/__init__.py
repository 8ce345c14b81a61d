"""ECS task-definition JSON (``register-task-definition`` input, ``describe-task-definition``
output, or a list of either) into the model; the other front-ends reuse its container mapping.
"""
