//! The OpenAPI document, generated from the handlers' annotations, and Swagger UI.

use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lianmeng 联盟 API", description = "劳模和工匠人才创新工作室联盟平台 / the platform of model-worker and craftsman innovation studio alliances"),
    paths(
        super::accounts::register,
        super::accounts::login,
        super::accounts::logout,
        super::accounts::me,
        super::accounts::update_me,
        super::org_requests::create,
        super::org_requests::list,
        super::org_requests::show,
        super::org_requests::approve,
        super::org_requests::decline,
        super::pictures::set_studio,
        super::pictures::remove_studio,
        super::pictures::set_portrait,
        super::pictures::remove_portrait,
        super::orgs::create,
        super::orgs::roots,
        super::orgs::show,
        super::people::search,
        super::personal_data::download,
        super::personal_data::close,
        super::invitations::mine,
        super::invitations::of_studio,
        super::invitations::answer,
        super::orgs::grant_staff,
        super::orgs::set_deadlines,
        super::orgs::onboarding,
        super::orgs::offline_studios,
        super::orgs::supervision,
        super::orgs::import_studios,
        super::orgs::export_studios,
        super::orgs::export_talent,
        super::studios::create,
        super::studios::list,
        super::studios::show,
        super::studios::update,
        super::studios::add_member,
        super::studios::members,
        super::studios::onboard,
        super::studios::metrics,
        super::studios::delist,
        super::studios::hand_over,
        super::studios::remove_member,
        super::challenges::create,
        super::challenges::list,
        super::challenges::show,
        super::challenges::update_draft,
        super::challenges::publish,
        super::challenges::claim,
        super::challenges::award,
        super::challenges::decline,
        super::challenges::withdraw,
        super::challenges::progress,
        super::challenges::deliver,
        super::challenges::accept,
        super::challenges::send_back,
        super::challenges::cancel,
        super::challenges::comment,
        super::challenges::back,
        super::outcomes::create,
        super::outcomes::list,
        super::outcomes::show,
        super::outcomes::update,
        super::outcomes::remove,
        super::outcomes::adopt,
        super::outcomes::confirm,
        super::outcomes::decline,
        super::outcomes::enquire,
        super::projects::create,
        super::projects::list,
        super::projects::show,
        super::projects::update,
        super::projects::progress,
        super::projects::deliver,
        super::projects::open,
        super::outcomes::export,
        super::alliances::create,
        super::alliances::list,
        super::alliances::show,
        super::alliances::board,
        super::alliances::request_join,
        super::alliances::invite,
        super::alliances::decide,
        super::alliances::leave,
        super::alliances::hand_over,
        super::alliances::dissolve,
        super::mentorships::create,
        super::mentorships::list,
        super::mentorships::show,
        super::mentorships::log,
        super::mentorships::complete,
        super::mentorships::end,
        super::mentorships::talent,
        super::naming::open_batch,
        super::naming::batches,
        super::naming::batch,
        super::naming::apply,
        super::naming::queue,
        super::naming::application,
        super::naming::step,
        super::naming::object,
        super::naming::answer,
        super::naming::experts,
        super::studio_changes::request,
        super::studio_changes::history,
        super::studio_changes::decide,
        super::funds::create,
        super::funds::list,
        super::funds::show,
        super::funds::file_expense,
        super::funds::decide,
        super::funds::add_receipt,
        super::funds::receipt,
        super::funds::export_ledger,
        super::audit::list,
        super::audit::export,
        super::reports::set_schedule,
        super::reports::schedule,
        super::reports::file,
        super::reports::list,
        super::reports::overdue,
        super::bulletins::send,
        super::bulletins::list,
        super::bulletins::show,
        super::bulletins::read,
        super::bulletins::reads,
        super::attachments::add_image,
        super::attachments::image,
        super::attachments::add_attachment,
        super::attachments::attachment,
        super::attachments::add_outcome_file,
        super::attachments::outcome_file,
        super::honours::recommend,
        super::honours::list,
        super::honours::show,
        super::honours::decide,
        super::assessment::open_round,
        super::assessment::rounds,
        super::assessment::board,
        super::assessment::queue,
        super::assessment::assessment,
        super::assessment::step,
        super::events::create,
        super::events::list,
        super::events::show,
        super::events::register,
        super::events::cancel,
        super::events::door_code,
        super::events::check_in,
        super::events::summarise,
        super::events::cancel_event,
        super::events::update,
        super::events::add_photo,
        super::courses::create,
        super::courses::list,
        super::courses::show,
        super::courses::enrol,
        super::courses::complete,
        super::courses::record,
        super::search::find,
        super::search::similar,
        super::search::recommendations,
        super::search::invitees,
        super::chat::rooms,
        super::chat::history,
        super::chat::send,
        super::chat::edit,
        super::chat::delete,
        super::chat::mark_read,
        super::chat_ws::upgrade,
        super::notifications::list,
        super::notifications::mark_read,
        super::health::healthz,
        super::health::readyz,
        super::health::metrics,
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", document()))
}

/// The document: the operations as declared, plus the answers every operation of a kind can
/// give whatever its handler says (the extractors and the edge answer them), each a problem
/// document (`application/problem+json`):
/// - 400: a path parameter or a body that does not parse;
/// - 401: a bearer token or session that is not (or no longer) valid;
/// - 404: a path naming nothing the reader may see;
/// - 415: a body that is not JSON (or not the form the operation takes);
/// - 429: sign-in and chat sends, past their limits.
pub fn document() -> utoipa::openapi::OpenApi {
    let doc = ApiDoc::openapi();
    let mut value = serde_json::to_value(&doc).expect("the document serializes");
    complete(&mut value);
    serde_json::from_value(value).expect("the completed document deserializes")
}

fn complete(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let problem = |what: &str| {
        json!({"description": what, "content": {"application/problem+json":
            {"schema": {"$ref": "#/components/schemas/Problem"}}}})
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let has_params = path.contains('{');
            let has_body = op.get("requestBody").is_some();
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            // Problem answers the handlers declared carry the problem media type.
            for (status, answer) in responses.iter_mut() {
                if (status.starts_with('4') || status.starts_with('5'))
                    && let Some(content) = answer.get_mut("content").and_then(Value::as_object_mut)
                    && let Some(json) = content.remove("application/json")
                {
                    content.insert("application/problem+json".to_owned(), json);
                }
            }
            let mut add = |status: &str, what: &str| {
                responses.entry(status).or_insert_with(|| problem(what));
            };
            if !path.starts_with("/api/") {
                continue;
            }
            if has_params || has_body {
                add("400", "The path or the body does not parse");
            }
            add("401", "The token or session is not valid");
            if has_params {
                add("404", "Nothing the reader may see is there");
            }
            if has_body {
                add("415", "The body is not of a type the operation takes");
            }
            let limited = path == "/api/v1/auth/login"
                || (path == "/api/v1/rooms/{room}/messages" && method == "post");
            if limited {
                add("429", "Too many attempts: wait the Retry-After seconds");
            }
        }
    }
}
