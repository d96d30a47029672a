"""Verification gates run on the produced tree."""
