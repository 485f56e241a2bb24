/* The one route table: every endpoint, who may call it, what body it takes, and for routes of
 * a team ({team} first) what the caller must be in that team. */
#include "fcgi/router.h"
#include "handlers/handlers.h"

#define NO_BODY ROUTE_BODY_NONE, NULL
#define JSON(spec) ROUTE_BODY_JSON, &(spec)
#define ANYONE TEAM_NONE, PERM__MAX
#define MEMBER TEAM_MEMBER, PERM__MAX
#define ADMINISTRATOR TEAM_ADMINISTRATOR, PERM__MAX
#define HOLDING(p) TEAM_PERMISSION, (p)

const struct route router_routes[] = {
    {"GET", "/api/v1/health", service_health, ROUTE_PUBLIC, NO_BODY, ANYONE},
    {"GET", "/api/v1/keys", service_keys, ROUTE_PUBLIC, NO_BODY, ANYONE},

    {"POST", "/api/v1/auth/signup", auth_signup, ROUTE_PUBLIC, JSON(auth_signup_body), ANYONE},
    {"POST", "/api/v1/auth/login", auth_login, ROUTE_PUBLIC, JSON(auth_login_body), ANYONE},
    {"POST", "/api/v1/auth/logout", auth_logout, ROUTE_SESSION, NO_BODY, ANYONE},
    {"POST", "/api/v1/auth/reauth", auth_reauth, ROUTE_SESSION, JSON(auth_reauth_body), ANYONE},

    {"GET", "/api/v1/me", me_get, ROUTE_USER, NO_BODY, ANYONE},
    {"GET", "/api/v1/me/api-keys", api_keys_list, ROUTE_USER, NO_BODY, ANYONE},
    {"POST", "/api/v1/me/api-keys", api_keys_create, ROUTE_SESSION, ROUTE_BODY_JSON_OPTIONAL,
     &api_keys_create_body, ANYONE},
    {"DELETE", "/api/v1/me/api-keys/{id}", api_keys_delete, ROUTE_USER, NO_BODY, ANYONE},

    {"POST", "/api/v1/teams", teams_create, ROUTE_USER, JSON(teams_create_body), ANYONE},
    {"GET", "/api/v1/teams/{team}", teams_get, ROUTE_USER, NO_BODY, MEMBER},
    {"PATCH", "/api/v1/teams/{team}", teams_update, ROUTE_USER, JSON(teams_update_body),
     ADMINISTRATOR},
    {"GET", "/api/v1/teams/{team}/audit", audit_list, ROUTE_USER, NO_BODY, ADMINISTRATOR},

    {"GET", "/api/v1/teams/{team}/members", members_list, ROUTE_USER, NO_BODY, MEMBER},
    {"PATCH", "/api/v1/teams/{team}/members/{user}", members_update, ROUTE_USER,
     JSON(members_update_body), HOLDING(PERM_MEMBERS_MANAGE)},
    /* Members may leave by themselves; removing someone else needs members.manage. */
    {"DELETE", "/api/v1/teams/{team}/members/{user}", members_remove, ROUTE_USER, NO_BODY, MEMBER},

    {"GET", "/api/v1/teams/{team}/roles", roles_list, ROUTE_USER, NO_BODY, MEMBER},
    {"POST", "/api/v1/teams/{team}/roles", roles_create, ROUTE_USER, JSON(roles_create_body),
     ADMINISTRATOR},
    {"PATCH", "/api/v1/teams/{team}/roles/{role}", roles_update, ROUTE_USER,
     JSON(roles_update_body), ADMINISTRATOR},
    {"DELETE", "/api/v1/teams/{team}/roles/{role}", roles_delete, ROUTE_USER, NO_BODY,
     ADMINISTRATOR},

    {"GET", "/api/v1/teams/{team}/invitations", invitations_list, ROUTE_USER, NO_BODY,
     HOLDING(PERM_MEMBERS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/invitations", invitations_create, ROUTE_USER,
     JSON(invitations_create_body), HOLDING(PERM_MEMBERS_MANAGE)},
    {"DELETE", "/api/v1/teams/{team}/invitations/{invitation}", invitations_revoke, ROUTE_USER,
     NO_BODY, HOLDING(PERM_MEMBERS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/invitations/{invitation}/resend", invitations_resend,
     ROUTE_USER, NO_BODY, HOLDING(PERM_MEMBERS_MANAGE)},

    {"GET", "/api/v1/invitations/{token}", invitation_links_show, ROUTE_PUBLIC, NO_BODY, ANYONE},
    {"POST", "/api/v1/invitations/{token}/accept", invitation_links_accept, ROUTE_USER, NO_BODY,
     ANYONE},
    {"POST", "/api/v1/invitations/{token}/signup", invitation_links_signup, ROUTE_PUBLIC,
     JSON(invitations_signup_body), ANYONE},

    {"GET", "/api/v1/teams/{team}/payment-method", billing_get_payment_method, ROUTE_USER,
     NO_BODY, HOLDING(PERM_BILLING_VIEW)},
    {"PUT", "/api/v1/teams/{team}/payment-method", billing_put_payment_method, ROUTE_USER,
     JSON(billing_payment_method_body), ADMINISTRATOR},
    {"GET", "/api/v1/teams/{team}/charges", charges_list, ROUTE_USER, NO_BODY,
     HOLDING(PERM_BILLING_VIEW)},
    {"GET", "/api/v1/teams/{team}/invoices", invoices_list, ROUTE_USER, NO_BODY,
     HOLDING(PERM_BILLING_VIEW)},
    {"GET", "/api/v1/teams/{team}/invoices/{invoice}", invoices_get, ROUTE_USER, NO_BODY,
     HOLDING(PERM_BILLING_VIEW)},

    {"GET", "/api/v1/imports/template.xlsx", imports_template_xlsx, ROUTE_USER, NO_BODY, ANYONE},
    {"GET", "/api/v1/imports/template.csv", imports_template_csv, ROUTE_USER, NO_BODY, ANYONE},

    {"GET", "/api/v1/teams/{team}/groups", groups_list, ROUTE_USER, NO_BODY, MEMBER},
    {"POST", "/api/v1/teams/{team}/groups", groups_create, ROUTE_USER, JSON(groups_body),
     HOLDING(PERM_GROUPS_MANAGE)},
    {"GET", "/api/v1/teams/{team}/groups/{group}", groups_get, ROUTE_USER, NO_BODY, MEMBER},
    {"PATCH", "/api/v1/teams/{team}/groups/{group}", groups_rename, ROUTE_USER,
     JSON(groups_body), HOLDING(PERM_GROUPS_MANAGE)},
    {"DELETE", "/api/v1/teams/{team}/groups/{group}", groups_delete, ROUTE_USER, NO_BODY,
     HOLDING(PERM_GROUPS_MANAGE)},
    {"GET", "/api/v1/teams/{team}/groups/{group}/contacts", contacts_list, ROUTE_USER, NO_BODY,
     MEMBER},
    {"POST", "/api/v1/teams/{team}/groups/{group}/contacts", contacts_create, ROUTE_USER,
     JSON(contacts_create_body), HOLDING(PERM_GROUPS_MANAGE)},
    {"PATCH", "/api/v1/teams/{team}/groups/{group}/contacts/{contact}", contacts_update,
     ROUTE_USER, JSON(contacts_update_body), HOLDING(PERM_GROUPS_MANAGE)},
    {"DELETE", "/api/v1/teams/{team}/groups/{group}/contacts/{contact}", contacts_delete,
     ROUTE_USER, NO_BODY, HOLDING(PERM_GROUPS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/groups/{group}/imports", imports_create, ROUTE_USER,
     ROUTE_BODY_IMPORT_FILE, NULL, HOLDING(PERM_GROUPS_MANAGE)},

    {"GET", "/api/v1/teams/{team}/letters", letters_list, ROUTE_USER, NO_BODY, MEMBER},
    {"POST", "/api/v1/teams/{team}/letters", letters_create, ROUTE_USER,
     JSON(letters_create_body), HOLDING(PERM_LETTERS_SEND)},
    {"GET", "/api/v1/teams/{team}/letters/{letter}", letters_get, ROUTE_USER, NO_BODY, MEMBER},
    {"POST", "/api/v1/teams/{team}/letters/{letter}/attachments", attachments_create, ROUTE_USER,
     ROUTE_BODY_ATTACHMENT, NULL, HOLDING(PERM_LETTERS_SEND)},
    {"POST", "/api/v1/teams/{team}/letters/{letter}/submit", letters_submit, ROUTE_USER, NO_BODY,
     HOLDING(PERM_LETTERS_SEND)},
    {"POST", "/api/v1/teams/{team}/letters/{letter}/validate", letters_validate, ROUTE_USER,
     NO_BODY, HOLDING(PERM_LETTERS_VALIDATE)},
    {"POST", "/api/v1/teams/{team}/letters/{letter}/reject", letters_reject, ROUTE_USER,
     JSON(letters_reject_body), HOLDING(PERM_LETTERS_VALIDATE)},
    {"GET", "/api/v1/teams/{team}/letters/{letter}/proofs/{proof}", proofs_get, ROUTE_USER,
     NO_BODY, MEMBER},

    /* A firm's clients, partnerships, linked accounts and shared documents. */
    {"GET", "/api/v1/teams/{team}/clients", clients_list, ROUTE_USER, NO_BODY,
     HOLDING(PERM_CLIENTS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/clients", clients_create, ROUTE_USER,
     JSON(clients_create_body), HOLDING(PERM_CLIENTS_MANAGE)},
    {"GET", "/api/v1/teams/{team}/clients/{client}", clients_get, ROUTE_USER, NO_BODY,
     HOLDING(PERM_CLIENTS_MANAGE)},
    {"PATCH", "/api/v1/teams/{team}/clients/{client}", clients_update, ROUTE_USER,
     JSON(clients_update_body), HOLDING(PERM_CLIENTS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/clients/{client}/documents", documents_upload, ROUTE_USER,
     ROUTE_BODY_DOCUMENT, NULL, HOLDING(PERM_CLIENTS_MANAGE)},
    {"POST", "/api/v1/teams/{team}/partner-requests", partner_requests_create, ROUTE_USER,
     JSON(partner_requests_create_body), HOLDING(PERM_CLIENTS_MANAGE)},
    /* A firm's client managers or a company's administrator (checked by the handler). */
    {"GET", "/api/v1/teams/{team}/partner-requests", partner_requests_list, ROUTE_USER, NO_BODY,
     MEMBER},
    {"POST", "/api/v1/partner-requests/{request}/accept", partner_requests_accept, ROUTE_USER,
     NO_BODY, ANYONE},
    {"POST", "/api/v1/partner-requests/{request}/refuse", partner_requests_refuse, ROUTE_USER,
     NO_BODY, ANYONE},
    {"GET", "/api/v1/teams/{team}/partners", partners_list, ROUTE_USER, NO_BODY, MEMBER},
    {"POST", "/api/v1/teams/{team}/link-requests", link_requests_create, ROUTE_USER,
     JSON(link_requests_create_body), HOLDING(PERM_CLIENTS_MANAGE)},
    {"GET", "/api/v1/teams/{team}/link-requests", link_requests_list, ROUTE_USER, NO_BODY,
     MEMBER},
    {"POST", "/api/v1/link-requests/{request}/accept", link_requests_accept, ROUTE_USER,
     ROUTE_BODY_JSON_OPTIONAL, &link_requests_accept_body, ANYONE},
    {"POST", "/api/v1/link-requests/{request}/refuse", link_requests_refuse, ROUTE_USER, NO_BODY,
     ANYONE},
    {"GET", "/api/v1/teams/{team}/linked-accounts", linked_accounts_list, ROUTE_USER, NO_BODY,
     MEMBER},
    {"DELETE", "/api/v1/teams/{team}/linked-accounts/{link}", linked_accounts_unlink, ROUTE_USER,
     NO_BODY, ADMINISTRATOR},
    {"GET", "/api/v1/teams/{team}/documents", documents_list, ROUTE_USER, NO_BODY,
     HOLDING(PERM_DOCUMENTS_VIEW)},
    {"GET", "/api/v1/teams/{team}/documents/{doc}", documents_get, ROUTE_USER, NO_BODY,
     HOLDING(PERM_DOCUMENTS_VIEW)},

    /* The recipient's link from the notification e-mail. */
    {"GET", "/api/v1/deliveries/{token}", deliveries_show, ROUTE_PUBLIC, NO_BODY, ANYONE},
    {"POST", "/api/v1/deliveries/{token}/code", deliveries_request_code, ROUTE_PUBLIC, NO_BODY,
     ANYONE},
    {"POST", "/api/v1/deliveries/{token}/accept", deliveries_accept, ROUTE_PUBLIC,
     JSON(deliveries_answer_body), ANYONE},
    {"POST", "/api/v1/deliveries/{token}/refuse", deliveries_refuse, ROUTE_PUBLIC,
     JSON(deliveries_answer_body), ANYONE},
    {"GET", "/api/v1/deliveries/{token}/content", deliveries_content, ROUTE_PUBLIC, NO_BODY,
     ANYONE},
    {"GET", "/api/v1/deliveries/{token}/attachments/{attachment}", deliveries_attachment,
     ROUTE_PUBLIC, NO_BODY, ANYONE},

    /* Signed callbacks from the postal carrier. */
    {"POST", "/api/v1/webhooks/carriers/{carrier}", webhooks_carrier, ROUTE_PUBLIC,
     ROUTE_BODY_WEBHOOK, NULL, ANYONE},
};

const size_t router_routes_count = sizeof(router_routes) / sizeof(router_routes[0]);
