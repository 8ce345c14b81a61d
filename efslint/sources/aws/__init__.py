"""The live front-end: read an AWS account with boto3 (read-only) into the model.

``scan.scan(options)`` builds one Model per Region for ``efslint scan``; ``enrich.enrich(models,
options)`` resolves the external ids that files reference for ``efslint lint --live``.  Nothing
here is imported by file linting, so boto3 stays out of the pre-commit start-up path.
"""
