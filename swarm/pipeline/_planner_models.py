"""What the planner asks a model for: plan drafts and subtask details (structured output)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class DraftSubtask(BaseModel):
    """One subtask of a plan draft as the model writes it."""

    id: str = Field(description="Short kebab-case id, unique in the plan.")
    description: str = Field(description="One-line brief of what to build.")
    difficulty: Literal["easy", "hard"] = "easy"
    owned_files: list[str] = Field(description="Exact relative paths this subtask writes.")
    deps: list[str] = Field(default_factory=list, description="Ids whose files it imports.")


class PlanDraft(BaseModel):
    """A skeleton plan from one planner call."""

    subtasks: list[DraftSubtask]
    confidence: float = Field(ge=0.0, le=1.0, description="How buildable the spec is as read.")
    questions: list[str] = Field(
        default_factory=list, description="Questions for the user if something is unclear."
    )


class SubtaskDetail(BaseModel):
    """An implementation spec for one subtask."""

    spec: str = Field(description="What to implement, precisely, using the owned paths.")
