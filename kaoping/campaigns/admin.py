"""Campaign models for the system administrator: to look things up and fix small mistakes.

State changes, participants, stages' windows and weights, assignments, scores and results are
written by the domain (it checks the rules and records who did what), so they are read-only here
and the pages never offer to add a participant, an assignment or a sheet.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kaoping.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRubric,
    CampaignTransition,
    Panel,
    PanelMember,
    Participant,
    Publication,
    PublishedResult,
    Result,
    ScoreSheet,
    SheetEvent,
    Stage,
    StoredRubric,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CampaignRubricInline(admin.TabularInline):
    model = CampaignRubric
    extra = 0


class StageInline(ReadOnlyInline):
    """Stages change through the campaign pages: the domain checks windows and keeps the
    weights whole once the campaign has opened."""

    model = Stage
    fields = [
        "position",
        "kind",
        "name",
        "starts_on",
        "ends_on",
        "method",
        "trim",
        "weight",
        "overrides",
    ]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = CampaignTransition
    fields = ["at", "from_state", "to_state", "by", "note"]
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "scope", "state", "created_by", "created_at"]
    list_filter = ["state", "year"]
    search_fields = ["name", "scope__name"]
    raw_id_fields = ["scope", "excluded", "created_by"]
    readonly_fields = ["state", "created_by", "created_at", "updated_at"]
    inlines = [CampaignRubricInline, StageInline, TransitionInline]


@admin.register(StoredRubric)
class StoredRubricAdmin(admin.ModelAdmin):
    list_display = ["title", "rubric_id", "version", "created_at"]
    search_fields = ["title", "rubric_id"]
    readonly_fields = ["rubric_id", "version", "title", "source", "sha256", "created_at"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["organization", "campaign", "rubric"]
    list_filter = ["campaign"]
    search_fields = ["organization__name", "campaign__name"]
    raw_id_fields = ["campaign", "organization"]
    list_select_related = ["organization", "campaign", "rubric"]
    # Who takes part, and with which rubric, is computed by the domain from the settings.
    readonly_fields = ["campaign", "organization", "rubric"]

    def has_add_permission(self, request):
        return False


class PanelMemberInline(ReadOnlyInline):
    model = PanelMember
    fields = ["user"]
    readonly_fields = fields


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    """Read-only: panels change through the campaign pages, where the conflict rule applies."""

    list_display = ["name", "stage", "leader"]
    search_fields = ["name", "leader__username", "leader__full_name"]
    readonly_fields = ["stage", "name", "leader"]
    inlines = [PanelMemberInline]
    list_select_related = ["stage", "leader"]

    def has_add_permission(self, request):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "rater", "stage", "panel", "source", "due_on"]
    list_filter = ["source", "stage__campaign"]
    search_fields = ["participant__organization__name", "rater__username", "rater__full_name"]
    list_select_related = ["participant__organization", "rater", "stage", "panel"]
    # Assignments are written by the domain, which applies the conflict rule; here they are
    # looked up only (the due date may be corrected).
    readonly_fields = ["stage", "participant", "rater", "panel", "source"]

    def has_add_permission(self, request):
        return False


class SheetEventInline(ReadOnlyInline):
    model = SheetEvent
    fields = ["at", "kind", "by", "reason", "total"]
    readonly_fields = fields


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "total", "submitted_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["assignment__participant__organization__name", "assignment__rater__username"]
    readonly_fields = [
        "assignment", "status", "version", "submitted_at", "total", "scaled_total", "grade",
        "section_scores", "stars", "vetoes", "lost_points", "returned_reason",
    ]  # fmt: skip
    inlines = [SheetEventInline]
    list_select_related = ["assignment__participant__organization", "assignment__rater"]

    def has_add_permission(self, request):
        return False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["participant", "campaign", "total", "grade", "rank_in_parent", "rank_in_kind"]
    list_filter = ["campaign"]
    list_select_related = ["participant__organization", "campaign"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PublishedResultInline(ReadOnlyInline):
    model = PublishedResult
    fields = ["participant", "total", "grade", "rank_in_parent", "rank_in_kind"]
    readonly_fields = fields


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["campaign", "number", "by", "at"]
    readonly_fields = ["campaign", "number", "by", "at", "note"]
    inlines = [PublishedResultInline]

    def has_add_permission(self, request):
        return False
