"""China Customs messages as files: the official schema, receipts and code tables."""
