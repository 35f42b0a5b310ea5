//! `#[derive(Validate)]`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::ctxt::Ctxt;
use crate::meta;
use crate::rules::{Allowed, FIELD_RULES, Rules};
use crate::serde_names::{self, SerdeAttrs};
use crate::ty::{self, Shape};

const STRUCT_RULES: Allowed = Allowed {
    attr: "validate",
    keys: &["custom", "response"],
    misplaced: field_rule_on_struct,
};

fn field_rule_on_struct(key: &str) -> Option<String> {
    (FIELD_RULES.keys.contains(&key) && key != "response").then(|| {
        format!(
            "`{key}` is a field rule: put it on a field; on a struct, `#[validate(..)]` only \
             takes `custom = path::to::check` and `response`"
        )
    })
}

/// Expands `#[derive(Validate)]` on `input`.
pub fn expand_validate(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let (body, received) = body(&mut cx, &input);
    if cx.has_errors() {
        let errors = cx.to_compile_errors();
        let stub = impl_block(&input, &quote!(), received);
        return quote!(#errors #stub);
    }
    impl_block(&input, &body, received)
}

/// The impl; with an empty body it is the stub emitted next to errors, so uses of
/// `.validate()` do not cascade into more errors. `received` (a struct-level `response`) makes
/// `validate()` check the type as a message received from a gateway.
fn impl_block(input: &DeriveInput, body: &TokenStream, received: Option<Span>) -> TokenStream {
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    let type_params: Vec<_> = generics.type_params().map(|p| p.ident.clone()).collect();
    if !type_params.is_empty() {
        let where_clause = generics.make_where_clause();
        for param in type_params {
            where_clause
                .predicates
                .push(syn::parse_quote!(#param: ::gatespec::Validate));
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let ctx = if body.is_empty() {
        quote!(_)
    } else {
        quote!(ctx)
    };
    let direction = received.map(|span| {
        quote_spanned!(span=> const DIRECTION: ::gatespec::Direction = ::gatespec::Direction::Response;)
    });
    // Checking a deprecated field is the type's own business, not a use to warn about.
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics ::gatespec::Validate for #ident #ty_generics #where_clause {
            #direction
            fn validate_into(&self, #ctx: &mut ::gatespec::ValidationContext<'_>) {
                #body
            }
        }
    }
}

/// The checks, and the span of a struct-level `response` flag.
fn body(cx: &mut Ctxt, input: &DeriveInput) -> (TokenStream, Option<Span>) {
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            cx.error_spanned(
                data.enum_token,
                "`Validate` can only be derived for structs; for a code table use \
                 `#[derive(CodeEnum)]`, which also implements `Validate`",
            );
            return (TokenStream::new(), None);
        }
        Data::Union(data) => {
            cx.error_spanned(
                data.union_token,
                "`Validate` cannot be derived for a union; use a struct",
            );
            return (TokenStream::new(), None);
        }
    };
    let container = serde_names::parse(&input.attrs);
    let items = meta::collect(cx, &input.attrs, "validate");
    let struct_rules = Rules::parse(cx, &items, &STRUCT_RULES);
    let transparent =
        container.transparent || matches!(fields, Fields::Unnamed(f) if f.unnamed.len() == 1);
    let mut out = TokenStream::new();
    for (index, field) in fields.iter().enumerate() {
        out.extend(field_checks(cx, &container, transparent, index, field));
    }
    if let Some(path) = &struct_rules.custom {
        let span = path.span();
        out.extend(quote_spanned!(span=> #path(self, ctx);));
    }
    (out, struct_rules.response)
}

fn field_checks(
    cx: &mut Ctxt,
    container: &SerdeAttrs,
    transparent: bool,
    index: usize,
    field: &syn::Field,
) -> TokenStream {
    let items = meta::collect(cx, &field.attrs, "validate");
    let rules = Rules::parse(cx, &items, &FIELD_RULES);
    let serde = serde_names::parse(&field.attrs);
    check_rules(cx, &rules, field);
    if rules.skip.is_some() || serde.skip || (rules.is_empty() && ty::is_inert(&field.ty)) {
        return TokenStream::new();
    }
    let member = match &field.ident {
        Some(ident) => quote!(#ident),
        None => {
            let index = syn::Index::from(index);
            quote!(#index)
        }
    };
    let ty = &field.ty;
    // Spanned on the field's type, so trait-bound errors (a rule on the wrong type, a field type
    // without `Validate`) point at the field.
    let value = quote_spanned!(ty.span()=> &self.#member);
    let nested = quote_spanned!(ty.span()=> ::gatespec::Validate::validate_into(#value, ctx););
    let ctx_expr = quote!(ctx);
    let checks = rules.checks(&value, &ctx_expr);
    // `response`: the field (an envelope's result) is validated as received from a gateway.
    let direction = rules
        .response
        .map(|span| quote_spanned!(span=> let ctx = &mut ctx.response();));
    if serde.flatten || transparent {
        return match direction {
            Some(direction) => quote!({ #direction #checks #nested }),
            None => quote!(#checks #nested),
        };
    }
    let wire = match (&serde.rename, &field.ident) {
        (Some(rename), _) => rename.clone(),
        (None, Some(ident)) => {
            let name = serde_names::unraw(ident);
            match container.rename_all {
                Some(rule) => rule.apply(&name),
                None => name,
            }
        }
        (None, None) => index.to_string(),
    };
    let child = if field.ident.is_some() {
        quote!(ctx.field(#wire))
    } else {
        quote!(ctx.index(#index))
    };
    quote! {
        {
            let ctx = &mut #child;
            #direction
            #checks
            #nested
        }
    }
}

/// Rejects rules that cannot apply to the field's type, when the type says so for certain.
fn check_rules(cx: &mut Ctxt, rules: &Rules, field: &syn::Field) {
    let ty = &field.ty;
    let shape = ty::shape(ty);
    if let Some(span) = rules.skip
        && !rules.is_empty()
    {
        cx.error_at(
            span,
            "`skip` turns off validation of this field, so its other rules would never \
             run: remove `skip` or the other rules",
        );
    }
    if let Some(span) = rules.required
        && ty::option_inner(ty).is_none()
    {
        cx.error_at(
            span,
            "`required` applies to `Option<T>` fields only: a field of any other type is \
             always present; remove `required` or make the field an `Option`",
        );
    }
    if rules.range.is_some() && !matches!(shape, Shape::Int | Shape::Str | Shape::Other) {
        cx.error_spanned(
            ty,
            format!(
                "`range` needs an integer or a numeric string field, but this is {}; \
                 use `length` for strings and `items` for arrays",
                shape.describe()
            ),
        );
    }
    if rules.length.is_some() && !matches!(shape, Shape::Str | Shape::Other) {
        cx.error_spanned(
            ty,
            format!(
                "`length` needs a string field, but this is {}; use `range` for numbers and \
                 `items` for arrays",
                shape.describe()
            ),
        );
    }
    if rules.pattern.is_some() && !matches!(shape, Shape::Str | Shape::Other) {
        cx.error_spanned(
            ty,
            format!(
                "`pattern` needs a string field, but this is {}; use `range` for numbers",
                shape.describe()
            ),
        );
    }
    if rules.codes.is_some() && !matches!(shape, Shape::Array | Shape::Other) {
        cx.error_spanned(
            ty,
            format!(
                "`codes` needs a code enum field (or an array of codes), but this is {}; use \
                 `range` for plain numbers",
                shape.describe()
            ),
        );
    }
    if rules.items.is_some() && !matches!(shape, Shape::Array | Shape::Other) {
        cx.error_spanned(
            ty,
            format!(
                "`items` needs an array field (`Vec<T>`, `[T; N]`), but this is {}; use \
                 `length` for strings and `range` for numbers",
                shape.describe()
            ),
        );
    }
}
