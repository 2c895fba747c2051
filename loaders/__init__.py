"""Loaders: real public source files into typed graph records. Imports ``kg`` only."""
