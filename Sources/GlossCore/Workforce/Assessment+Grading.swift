import Foundation

extension AssessmentDefinition {
    /// A grader's rubric points for one written item: every criterion given, each between 0 and its points,
    /// nothing else. Returns the points by criterion and their total; errors name `item_id` or `points.<criterion>`.
    public func grade(itemID: String, points given: [String: JSONValue]) throws(ValidationFailure) -> (points: [String: Double], total: Double) {
        guard let item = item(itemID), case .written(let rubric, _) = item.kind else {
            throw ValidationFailure([FieldError(field: "item_id", message: "is not a written item of this assessment")])
        }
        var errors: [FieldError] = []
        var points: [String: Double] = [:]
        for criterion in rubric {
            let range = "0 to \(JSONValue.format(number: criterion.points))"
            guard let value = given[criterion.id]?.numberValue else {
                errors.append(FieldError(field: "points.\(criterion.id)", message: "is required (\(range))"))
                continue
            }
            guard value >= 0, value <= criterion.points else {
                errors.append(FieldError(field: "points.\(criterion.id)", message: "must be between \(range)"))
                continue
            }
            points[criterion.id] = value
        }
        for key in given.keys.sorted() where !rubric.contains(where: { $0.id == key }) {
            errors.append(FieldError(field: "points.\(key)", message: "is not a criterion of this item's rubric"))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return (points, points.values.reduce(0, +))
    }
}
