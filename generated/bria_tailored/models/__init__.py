"""Contains all the data models used in inputs/outputs"""

from .aspect_ratio import AspectRatio
from .async_accepted import AsyncAccepted
from .bulk_upload_failure import BulkUploadFailure
from .bulk_upload_file import BulkUploadFile
from .bulk_upload_state import BulkUploadState
from .bulk_upload_status import BulkUploadStatus
from .bulk_upload_url import BulkUploadUrl
from .caption_source import CaptionSource
from .captions_update_status import CaptionsUpdateStatus
from .checkpoint import Checkpoint
from .checkpoint_list import CheckpointList
from .dataset import Dataset
from .dataset_clone import DatasetClone
from .dataset_create import DatasetCreate
from .dataset_download import DatasetDownload
from .dataset_status import DatasetStatus
from .dataset_update import DatasetUpdate
from .error_object import ErrorObject
from .error_response import ErrorResponse
from .field_error import FieldError
from .generate_prefix_request import GeneratePrefixRequest
from .generated_prefix import GeneratedPrefix
from .generation_response import GenerationResponse
from .generation_result import GenerationResult
from .guidance_method import GuidanceMethod
from .image import Image
from .image_caption_update import ImageCaptionUpdate
from .image_file_upload import ImageFileUpload
from .image_generation_request import ImageGenerationRequest
from .image_prompt_mode import ImagePromptMode
from .image_url_upload import ImageUrlUpload
from .ip_medium import IpMedium
from .ip_type import IpType
from .lr_scheduler import LrScheduler
from .message_error import MessageError
from .model import Model
from .model_create import ModelCreate
from .model_download import ModelDownload
from .model_status import ModelStatus
from .model_update import ModelUpdate
from .model_upload import ModelUpload
from .not_found_state import NotFoundState
from .prefix_ip_type import PrefixIpType
from .project import Project
from .project_create import ProjectCreate
from .project_parameters import ProjectParameters
from .project_status import ProjectStatus
from .project_update import ProjectUpdate
from .refine_prompt_request import RefinePromptRequest
from .refined_prompt import RefinedPrompt
from .reimagine_request import ReimagineRequest
from .reimagine_tailored_request import ReimagineTailoredRequest
from .request_state import RequestState
from .request_status import RequestStatus
from .restyle_portrait_request import RestylePortraitRequest
from .restyle_portrait_response import RestylePortraitResponse
from .status_not_found import StatusNotFound
from .structured_prompt_request import StructuredPromptRequest
from .tailored_generation_output import TailoredGenerationOutput
from .tailored_generation_response import TailoredGenerationResponse
from .tailored_image_request import TailoredImageRequest
from .training_mode import TrainingMode
from .training_parameters import TrainingParameters
from .training_request import TrainingRequest
from .training_version import TrainingVersion
from .upload_type import UploadType
from .validation_errors import ValidationErrors
from .video_generation_request import VideoGenerationRequest
from .visual_schema import VisualSchema
from .visual_schema_request import VisualSchemaRequest

__all__ = (
    "AspectRatio",
    "AsyncAccepted",
    "BulkUploadFailure",
    "BulkUploadFile",
    "BulkUploadState",
    "BulkUploadStatus",
    "BulkUploadUrl",
    "CaptionSource",
    "CaptionsUpdateStatus",
    "Checkpoint",
    "CheckpointList",
    "Dataset",
    "DatasetClone",
    "DatasetCreate",
    "DatasetDownload",
    "DatasetStatus",
    "DatasetUpdate",
    "ErrorObject",
    "ErrorResponse",
    "FieldError",
    "GeneratedPrefix",
    "GeneratePrefixRequest",
    "GenerationResponse",
    "GenerationResult",
    "GuidanceMethod",
    "Image",
    "ImageCaptionUpdate",
    "ImageFileUpload",
    "ImageGenerationRequest",
    "ImagePromptMode",
    "ImageUrlUpload",
    "IpMedium",
    "IpType",
    "LrScheduler",
    "MessageError",
    "Model",
    "ModelCreate",
    "ModelDownload",
    "ModelStatus",
    "ModelUpdate",
    "ModelUpload",
    "NotFoundState",
    "PrefixIpType",
    "Project",
    "ProjectCreate",
    "ProjectParameters",
    "ProjectStatus",
    "ProjectUpdate",
    "RefinedPrompt",
    "RefinePromptRequest",
    "ReimagineRequest",
    "ReimagineTailoredRequest",
    "RequestState",
    "RequestStatus",
    "RestylePortraitRequest",
    "RestylePortraitResponse",
    "StatusNotFound",
    "StructuredPromptRequest",
    "TailoredGenerationOutput",
    "TailoredGenerationResponse",
    "TailoredImageRequest",
    "TrainingMode",
    "TrainingParameters",
    "TrainingRequest",
    "TrainingVersion",
    "UploadType",
    "ValidationErrors",
    "VideoGenerationRequest",
    "VisualSchema",
    "VisualSchemaRequest",
)
