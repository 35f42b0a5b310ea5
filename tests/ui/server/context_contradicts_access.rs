//! A handler whose context contradicts its interface's `Access`: `Book` needs a signed-in
//! caller (`SignedIn`), so its handler takes `Context<Visitor>`, not `Context<Option<Visitor>>`.

use gatespec::server::{Caller, Context, Options, Routes, SessionStore};
use gatespec::{
    CodeEnum, EnvelopeFormat, Interface, Method, NoDetail, NoResult, PathParams, Protocol,
    RefusalCodes, RetcodeType, SignedIn, Validate,
};
use serde::{Deserialize, Serialize};

#[derive(CodeEnum, Debug, Clone, PartialEq)]
#[code(string)]
enum DeskCode {
    #[code("E-1", meaning = "invalid request")]
    Invalid,
    #[code(other)]
    Other(String),
}

const DESK: Protocol = Protocol {
    envelope: EnvelopeFormat {
        message: "text",
        retcode: "code",
        result: "data",
        retcode_type: RetcodeType::Text,
        success: "OK",
    },
    session_header: Some("X-Desk-Session"),
    renewal_header: None,
    caller_param: None,
    refusals: RefusalCodes::new("E-1", "E-1", "E-1", "E-1", "E-1", "E-1"),
    catalogue: <DeskCode as CodeEnum>::CODES,
};

#[derive(Serialize, Deserialize, Validate)]
struct BookPath {}

impl PathParams for BookPath {
    fn write_path(&self, path: &mut String) {
        path.push_str("/desk/book");
    }
}

/// `POST /desk/book`: members only.
struct Book;

impl Interface for Book {
    const PROTOCOL: &'static Protocol = &DESK;
    const LOG_NAME: &'static str = "book";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/desk/book";
    type Access = SignedIn;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &[];
    type Path = BookPath;
    type Request = ();
    type Result = NoResult;
    type Failure = NoDetail;
    type ErrorCode = DeskCode;
}

#[derive(Clone, Debug)]
struct Visitor(String);

impl Caller for Visitor {
    fn agent_id(&self) -> &str {
        &self.0
    }

    fn role(&self) -> &str {
        "member"
    }
}

struct Desk;

impl SessionStore for Desk {
    type Caller = Visitor;

    async fn resolve(&self, session_id: &str) -> Option<Visitor> {
        Some(Visitor(session_id.to_owned()))
    }
}

fn main() {
    let _app = Routes::new(Desk, Options::default())
        .route(
            Book,
            |_desk, ctx: Context<Option<Visitor>>, _path, ()| async move {
                // Treats the caller as optional, as if anyone could book.
                let _ = ctx.caller().is_some();
                Ok(NoResult)
            },
        )
        .into_router();
}
