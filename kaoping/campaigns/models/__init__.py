from kaoping.campaigns.models.campaign import (
    Campaign,
    CampaignRubric,
    CampaignTransition,
    Participant,
    StoredRubric,
)
from kaoping.campaigns.models.observation import (
    ObservationBatch,
    ObservationMode,
    ObservationStep,
    Visit,
    VisitStep,
)
from kaoping.campaigns.models.results import Publication, PublishedResult, Result, StageResult
from kaoping.campaigns.models.selection import (
    Award,
    AwardChange,
    BenchmarkRound,
    CrossAllocation,
    Draw,
    Nomination,
    Objection,
)
from kaoping.campaigns.models.sheet import CustomItem, Entry, Evidence, ScoreSheet, SheetEvent
from kaoping.campaigns.models.stage import Assignment, Panel, PanelMember, Stage

__all__ = [
    "Assignment",
    "Award",
    "AwardChange",
    "BenchmarkRound",
    "Campaign",
    "CampaignRubric",
    "CampaignTransition",
    "CrossAllocation",
    "CustomItem",
    "Draw",
    "Entry",
    "Evidence",
    "Nomination",
    "Objection",
    "ObservationBatch",
    "ObservationMode",
    "ObservationStep",
    "Panel",
    "PanelMember",
    "Participant",
    "Publication",
    "PublishedResult",
    "Result",
    "ScoreSheet",
    "SheetEvent",
    "Stage",
    "StageResult",
    "StoredRubric",
    "Visit",
    "VisitStep",
]
