//! Checks real answers against the OpenAPI document the server publishes: the status must be
//! declared for the operation, and the body must match the declared schema. A small validator
//! for what the document uses: `$ref`, `allOf`, `oneOf`/`anyOf`, `type` (one or several,
//! `null` among them), `properties`, `required`, `items`, `enum`.

use serde_json::Value;

/// The published document.
pub struct Document {
    doc: Value,
}

impl Document {
    pub fn new(doc: Value) -> Document {
        Document { doc }
    }

    /// Problems with one answer: `method` on the path `template` (as the document spells it,
    /// `/api/v1/studios/{id}`) answered `status` with `body` (`Value::Null` when empty).
    pub fn check(&self, method: &str, template: &str, status: u16, body: &Value) -> Vec<String> {
        let here = format!("{} {template} → {status}", method.to_uppercase());
        let Some(op) = self.doc["paths"][template].get(method.to_lowercase()) else {
            return vec![format!("{here}: the operation is not in the document")];
        };
        let Some(answer) = op["responses"].get(status.to_string()) else {
            return vec![format!("{here}: status not declared")];
        };
        let answer = self.resolve(answer);
        let schema = answer["content"]
            .as_object()
            .and_then(|c| c.values().next())
            .map(|media| &media["schema"]);
        match schema {
            Some(schema) if !body.is_null() => {
                let mut problems = Vec::new();
                self.validate(schema, body, "$", &mut problems);
                problems
                    .into_iter()
                    .map(|p| format!("{here}: {p}"))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        let mut node = node;
        while let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let pointer = r.trim_start_matches('#');
            match self.doc.pointer(pointer) {
                Some(next) => node = next,
                None => return &Value::Null,
            }
        }
        node
    }

    fn validate(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if schema.is_null() {
            problems.push(format!("{at}: dangling $ref"));
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.validate(part, value, at, problems);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(any) = schema.get(key).and_then(Value::as_array) {
                let fits = any.iter().any(|part| {
                    let mut p = Vec::new();
                    self.validate(part, value, at, &mut p);
                    p.is_empty()
                });
                if !fits {
                    problems.push(format!("{at}: matches none of {key}"));
                }
            }
        }
        if let Some(types) = schema.get("type") {
            let types: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let nullable = schema.get("nullable") == Some(&Value::Bool(true));
            let fits = types.iter().any(|t| match *t {
                "null" => value.is_null(),
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => true,
            }) || (nullable && value.is_null());
            if !fits {
                problems.push(format!("{at}: {value} is not {types:?}"));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !value.is_null()
            && !allowed.contains(value)
        {
            problems.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
        if let Some(object) = value.as_object() {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !object.contains_key(name) {
                        problems.push(format!("{at}: required `{name}` missing"));
                    }
                }
            }
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, sub) in properties {
                    if let Some(v) = object.get(name) {
                        self.validate(sub, v, &format!("{at}.{name}"), problems);
                    }
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (i, v) in array.iter().enumerate() {
                self.validate(items, v, &format!("{at}[{i}]"), problems);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Document;
    use serde_json::json;

    #[test]
    fn the_validator_catches_what_it_should() {
        let doc = Document::new(json!({
            "paths": {"/x/{id}": {"get": {"responses": {"200": {"content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/X"}}}}}}}},
            "components": {"schemas": {"X": {"type": "object", "required": ["id", "tags"],
                "properties": {"id": {"type": "integer"}, "note": {"type": ["string", "null"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "kind": {"type": "string", "enum": ["a", "b"]}}}}}
        }));
        let ok = json!({"id": 1, "note": null, "tags": ["焊接"], "kind": "a"});
        assert!(doc.check("get", "/x/{id}", 200, &ok).is_empty());
        assert_eq!(
            doc.check("get", "/x/{id}", 404, &ok).len(),
            1,
            "undeclared status"
        );
        let bad = json!({"id": "1", "tags": [3], "kind": "c"});
        let problems = doc.check("get", "/x/{id}", 200, &bad);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(doc.check("get", "/x/{id}", 200, &json!({"id": 1})).len(), 1);
    }
}
