"""Archive what DynamoDB's TTL deleted: decode stream records, group them, commit them in order."""
