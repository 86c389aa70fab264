"""Adapters to AWS services: the only modules that import boto3."""
