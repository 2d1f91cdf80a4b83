from kaoping.campaigns.models.campaign import (
    Campaign,
    CampaignRubric,
    CampaignTransition,
    Participant,
    StoredRubric,
)
from kaoping.campaigns.models.results import Publication, PublishedResult, Result, StageResult
from kaoping.campaigns.models.sheet import CustomItem, Entry, Evidence, ScoreSheet, SheetEvent
from kaoping.campaigns.models.stage import Assignment, Panel, PanelMember, Stage

__all__ = [
    "Assignment",
    "Campaign",
    "CampaignRubric",
    "CampaignTransition",
    "CustomItem",
    "Entry",
    "Evidence",
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
]
