//! Numeric inputs that can be neither negative nor huge. Each is a GraphQL `Int` (so a value
//! above 2³¹−1 is refused by validation, which names the argument) whose description states
//! its range, and is checked here against that range: out of it, `BAD_USER_INPUT` naming the
//! argument and the range. Page sizes (`first`) are checked by the paging module the same way.

use async_graphql::{InputValueError, InputValueResult, Number, Scalar, ScalarType, Value};

use super::error::{ApiError, ApiResult};

/// Largest value of a GraphQL `Int` (2³¹−1).
pub const INT_MAX: i32 = i32::MAX;

/// A GraphQL `Int` input read whole (any integer a JSON number can write), so that a value out
/// of its range reaches [`within`], which names the argument, instead of failing to parse as a
/// 32-bit integer with a message that names no argument. In the SDL it is the `Int` it always was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WideInt(pub i128);

/// The `Int` scalar type represents non-fractional whole numeric values.
#[Scalar(name = "Int")]
impl ScalarType for WideInt {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .map(WideInt)
                .ok_or_else(|| InputValueError::custom(format!("{n} is not an integer"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::Number(n) if n.is_i64() || n.is_u64())
    }

    fn to_value(&self) -> Value {
        i64::try_from(self.0)
            .map(|n| Value::Number(Number::from(n)))
            .unwrap_or(Value::Null)
    }
}

impl WideInt {
    /// The value, for a complexity estimate: clamped to `0..=max`.
    pub fn clamped(self, max: i128) -> usize {
        self.0.clamp(0, max) as usize
    }
}

/// `value`, given as argument or input field `name`, if it lies in `min..=max` (`min` ≥ 0).
pub fn within(name: &str, value: WideInt, min: i32, max: i32) -> ApiResult<u32> {
    match u32::try_from(value.0) {
        Ok(n) if (i128::from(min)..=i128::from(max)).contains(&value.0) => Ok(n),
        _ => Err(ApiError::BadInput(format!(
            "`{name}` must be at least {min} and at most {max}, not {}",
            value.0
        ))),
    }
}

/// [`within`] for an optional value.
pub fn within_opt(
    name: &str,
    value: Option<WideInt>,
    min: i32,
    max: i32,
) -> ApiResult<Option<u32>> {
    value.map(|v| within(name, v, min, max)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_are_refused_naming_the_argument() {
        let int = |n: i128| WideInt(n);
        assert_eq!(within("scale", int(0), 0, INT_MAX).unwrap(), 0);
        assert_eq!(
            within("scale", int(INT_MAX.into()), 0, INT_MAX).unwrap(),
            INT_MAX as u32
        );
        let negative = within("scale", int(-1), 0, INT_MAX).unwrap_err();
        assert_eq!(
            negative.message(),
            "`scale` must be at least 0 and at most 2147483647, not -1"
        );
        let huge = within("scale", int(18_446_744_073_709_551_615), 0, INT_MAX).unwrap_err();
        assert!(huge.message().ends_with("not 18446744073709551615"));
        assert!(within("intervalSeconds", int(299), 300, INT_MAX).is_err());
        assert_eq!(within_opt("sill", None, 1, INT_MAX).unwrap(), None);
        assert!(within_opt("sill", Some(int(0)), 1, INT_MAX).is_err());
        assert!(WideInt::parse(Value::from(3_000_000_000u64)).is_ok());
        assert!(WideInt::parse(Value::from(0.5)).is_err());
    }
}
