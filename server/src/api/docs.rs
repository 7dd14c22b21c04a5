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
        super::orgs::create,
        super::orgs::roots,
        super::orgs::show,
        super::orgs::grant_staff,
        super::orgs::set_deadlines,
        super::orgs::onboarding,
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
        super::outcomes::create,
        super::outcomes::list,
        super::outcomes::show,
        super::outcomes::adopt,
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
        super::events::add_photo,
        super::courses::create,
        super::courses::list,
        super::courses::show,
        super::courses::enrol,
        super::courses::complete,
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
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", ApiDoc::openapi()))
}
