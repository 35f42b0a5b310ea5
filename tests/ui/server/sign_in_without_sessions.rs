//! Routes without a session store cannot serve an interface that needs sign-in: `Book` is
//! `SignedIn`, so it needs `Routes::new` and a `SessionStore`.

use gatespec::server::{Options, Routes};
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

struct Desk;

fn main() {
    let _app = Routes::without_sessions(Desk, Options::default())
        .route(Book, |_desk, _ctx, _path, ()| async move { Ok(NoResult) })
        .into_router();
}
